package dev.notes.model

import java.time.Instant

/** A note with a title, a Markdown body and lower-case tags. */
data class Note(
    val id: Long,
    val title: String,
    val body: String,
    val tags: Set<String> = emptySet(),
    val createdAt: Instant = Instant.now(),
) {
    init {
        require(title.isNotBlank()) { "title must not be blank" }
        require(tags.all { it == it.lowercase() }) { "tags must be lower case" }
    }

    fun withTag(tag: String): Note = copy(tags = tags + tag.lowercase())
}
