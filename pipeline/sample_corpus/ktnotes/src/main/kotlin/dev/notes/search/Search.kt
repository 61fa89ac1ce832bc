package dev.notes.search

import dev.notes.model.Note as NoteModel
import dev.notes.storage.NoteRepository

/** Ranks notes by how often the query words occur; tag matches count three times. */
class Search(private val repository: NoteRepository) {

    fun query(text: String, limit: Int = 10): List<NoteModel> {
        val words = tokenize(text)
        if (words.isEmpty()) return emptyList()
        return repository.all()
            .map { note -> note to score(note, words) }
            .filter { (_, score) -> score > 0 }
            .sortedWith(compareByDescending<Pair<NoteModel, Int>> { it.second }.thenBy { it.first.id })
            .take(limit)
            .map { it.first }
    }

    private fun score(note: NoteModel, words: Set<String>): Int {
        val body = tokenize(note.title + " " + note.body)
        val textHits = words.count { it in body }
        val tagHits = words.count { it in note.tags }
        return textHits + 3 * tagHits
    }

    companion object {
        fun tokenize(text: String): Set<String> =
            text.lowercase().split(Regex("[^\\p{L}\\p{N}]+")).filter { it.length > 1 }.toSet()
    }
}
