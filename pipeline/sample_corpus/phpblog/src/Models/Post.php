<?php

declare(strict_types=1);

namespace Blog\Models;

use DateTimeImmutable;

/**
 * A published blog post.
 */
final class Post
{
    public function __construct(
        public readonly int $id,
        public readonly string $slug,
        public readonly string $title,
        public readonly string $body,
        public readonly DateTimeImmutable $publishedAt,
    ) {
    }

    /** First paragraph of the body, for the index page. */
    public function excerpt(int $maxLength = 200): string
    {
        $first = trim(explode("\n\n", $this->body, 2)[0]);
        return mb_strlen($first) > $maxLength ? mb_substr($first, 0, $maxLength - 1) . '…' : $first;
    }
}
