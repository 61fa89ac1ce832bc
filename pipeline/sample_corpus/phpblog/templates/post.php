<?php use Blog\View\Renderer; ?>
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <title><?= Renderer::escape($post->title) ?></title>
</head>
<body>
<article>
    <h1><?= Renderer::escape($post->title) ?></h1>
    <time datetime="<?= $post->publishedAt->format('c') ?>"><?= $post->publishedAt->format('j F Y') ?></time>
    <?php foreach (explode("\n\n", $post->body) as $paragraph): ?>
        <p><?= Renderer::escape($paragraph) ?></p>
    <?php endforeach; ?>
</article>
<p><a href="/">All posts</a></p>
</body>
</html>
