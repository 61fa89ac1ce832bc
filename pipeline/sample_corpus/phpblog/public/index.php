<?php

declare(strict_types=1);

require_once __DIR__ . '/../vendor/autoload.php';
$pdo = require __DIR__ . '/../config/bootstrap.php';

use Blog\Controller\PostController;
use Blog\Repository\PostRepository;
use Blog\View\Renderer;

$controller = new PostController(new PostRepository($pdo), new Renderer(__DIR__ . '/../templates'));
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);

if (preg_match('#^/posts/([a-z0-9-]+)$#', $path, $m)) {
    echo $controller->show($m[1]);
} else {
    echo $controller->index();
}
