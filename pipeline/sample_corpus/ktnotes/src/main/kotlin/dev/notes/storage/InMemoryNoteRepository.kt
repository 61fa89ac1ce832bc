package dev.notes.storage

import dev.notes.model.Note
import java.util.TreeMap

/** Keeps notes in a sorted map; ids are assigned on first save. */
class InMemoryNoteRepository : NoteRepository {
    private val notes = TreeMap<Long, Note>()
    private var nextId = 1L

    override fun save(note: Note): Note {
        val stored = if (note.id == 0L) note.copy(id = nextId++) else note
        notes[stored.id] = stored
        return stored
    }

    override fun find(id: Long): Note? = notes[id]

    override fun all(): List<Note> = notes.values.toList()

    override fun delete(id: Long): Boolean = notes.remove(id) != null
}
