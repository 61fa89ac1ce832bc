package dev.notes.storage

import dev.notes.model.Note

/** Where notes live. Implementations must be safe to call from one thread at a time. */
interface NoteRepository {
    fun save(note: Note): Note
    fun find(id: Long): Note?
    fun all(): List<Note>
    fun delete(id: Long): Boolean
}
