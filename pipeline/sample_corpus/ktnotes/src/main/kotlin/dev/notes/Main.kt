package dev.notes

import dev.notes.model.Note
import dev.notes.search.Search
import dev.notes.storage.*

fun main(args: Array<String>) {
    val repository: NoteRepository = InMemoryNoteRepository()
    listOf(
        Note(0, "Kotlin coroutines", "Structured concurrency keeps jobs scoped.", setOf("kotlin")),
        Note(0, "Gradle tips", "Use the configuration cache for faster builds.", setOf("build")),
        Note(0, "Sealed classes", "Kotlin sealed classes model closed hierarchies.", setOf("kotlin")),
    ).forEach(repository::save)

    val query = args.drop(1).joinToString(" ").ifBlank { "kotlin" }
    for (note in Search(repository).query(query)) {
        println("${note.id}: ${note.title} ${note.tags}")
    }
}
