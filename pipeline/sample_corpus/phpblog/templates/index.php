<?php use Blog\View\Renderer; ?>
<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <title>Blog</title>
</head>
<body>
<h1>Latest posts</h1>
<?php foreach ($posts as $post): ?>
    <section>
        <h2><a href="/posts/<?= Renderer::escape($post->slug) ?>"><?= Renderer::escape($post->title) ?></a></h2>
        <p><?= Renderer::escape($post->excerpt()) ?></p>
    </section>
<?php endforeach; ?>
</body>
</html>
