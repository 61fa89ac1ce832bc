<?php

declare(strict_types=1);

namespace Blog\Controller;

use Blog\Repository\PostRepository;
use Blog\View\Renderer;

/**
 * Handles the index page and single post pages.
 */
final class PostController
{
    public function __construct(
        private PostRepository $posts,
        private Renderer $view,
    ) {
    }

    public function index(): string
    {
        return $this->view->render('index', ['posts' => $this->posts->latest()]);
    }

    public function show(string $slug): string
    {
        $post = $this->posts->findBySlug($slug);
        if ($post === null) {
            http_response_code(404);
            return $this->view->render('not_found', ['slug' => $slug]);
        }
        return $this->view->render('post', ['post' => $post]);
    }
}
