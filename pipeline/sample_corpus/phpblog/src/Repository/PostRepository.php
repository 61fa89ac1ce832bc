<?php

declare(strict_types=1);

namespace Blog\Repository;

use Blog\Models\Post;
use DateTimeImmutable;
use PDO;

/**
 * Loads posts from the `posts` table.
 */
final class PostRepository
{
    public function __construct(private PDO $db)
    {
    }

    /** @return list<Post> newest first */
    public function latest(int $limit = 10): array
    {
        $stmt = $this->db->prepare('SELECT * FROM posts ORDER BY published_at DESC LIMIT :limit');
        $stmt->bindValue(':limit', $limit, PDO::PARAM_INT);
        $stmt->execute();
        return array_map([$this, 'hydrate'], $stmt->fetchAll(PDO::FETCH_ASSOC));
    }

    public function findBySlug(string $slug): ?Post
    {
        $stmt = $this->db->prepare('SELECT * FROM posts WHERE slug = :slug');
        $stmt->execute(['slug' => $slug]);
        $row = $stmt->fetch(PDO::FETCH_ASSOC);
        return $row === false ? null : $this->hydrate($row);
    }

    private function hydrate(array $row): Post
    {
        return new Post(
            (int) $row['id'],
            $row['slug'],
            $row['title'],
            $row['body'],
            new DateTimeImmutable($row['published_at']),
        );
    }
}
