plugins {
    kotlin("jvm") version "1.9.23"
    application
}

group = "dev.notes"
version = "0.1.0"

repositories {
    mavenCentral()
}

dependencies {
    testImplementation(kotlin("test"))
}

application {
    mainClass.set("dev.notes.MainKt")
}

kotlin {
    jvmToolchain(17)
}
