<?php

declare(strict_types=1);

/**
 * Read an environment variable with a default, treating empty strings as unset.
 */
function env(string $name, ?string $default = null): ?string
{
    $value = getenv($name);
    return ($value === false || $value === '') ? $default : $value;
}
