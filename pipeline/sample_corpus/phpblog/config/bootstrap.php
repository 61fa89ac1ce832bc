<?php

declare(strict_types=1);

require_once __DIR__ . '/helpers.php';

$database = env('BLOG_DATABASE', __DIR__ . '/../var/blog.sqlite');
$pdo = new PDO('sqlite:' . $database, null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);

return $pdo;
