rootProject.name = "ktnotes"
