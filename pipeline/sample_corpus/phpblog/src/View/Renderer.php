<?php

declare(strict_types=1);

namespace Blog\View;

/**
 * Renders a PHP template file with the given variables in scope.
 */
final class Renderer
{
    public function __construct(private string $templateDir)
    {
    }

    public function render(string $template, array $vars = []): string
    {
        extract($vars, EXTR_SKIP);
        ob_start();
        include $this->templateDir . '/' . $template . '.php';
        return (string) ob_get_clean();
    }

    public static function escape(string $text): string
    {
        return htmlspecialchars($text, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }
}
