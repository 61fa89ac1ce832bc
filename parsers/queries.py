"""One tree-sitter query per grammar, finding import-like statements and declarations.

Capture names are the contract with :mod:`parsers.imports`: the outermost capture of each
pattern names its handler (``@import``, ``@from``, ``@require`` …); ``@declare`` marks a
package/namespace declaration; ``@type_only_scope`` marks a region whose imports are
type-only; inner captures (``@target``, ``@kind`` …) hand the handler the pieces it needs.
Captures starting with ``_`` exist only for predicates.
"""
from __future__ import annotations

PYTHON = r"""
(import_statement) @import
(import_from_statement) @from
(call
  function: (identifier) @_fn (#any-of? @_fn "__import__" "import_module")
  arguments: (argument_list . (string) @target)) @dynamic
(call
  function: (attribute
    object: (identifier) @_obj (#eq? @_obj "importlib")
    attribute: (identifier) @_fn (#eq? @_fn "import_module"))
  arguments: (argument_list . (string) @target)) @dynamic
(if_statement
  condition: [(identifier) @_tc (attribute attribute: (identifier) @_tc)]
  (#eq? @_tc "TYPE_CHECKING")
  consequence: (block) @type_only_scope)
"""

JAVA = r"""
(package_declaration [(identifier) (scoped_identifier)] @declare)
(import_declaration) @import
"""

KOTLIN = r"""
(package_header (qualified_identifier) @declare)
(import) @import
"""

SCALA = r"""
(package_clause) @package
(import_declaration) @import
"""

C_SHARP = r"""
(namespace_declaration) @namespace
(file_scoped_namespace_declaration) @namespace
(using_directive) @using
"""

C_FAMILY = r"""
(preproc_include path: (string_literal) @local) @include
(preproc_include path: (system_lib_string) @system) @include
"""

JAVASCRIPT = r"""
(import_statement) @import
(export_statement source: (string)) @export_from
(call_expression
  function: (identifier) @_fn (#eq? @_fn "require")
  arguments: (arguments . [(string) (template_string)] @target .)) @require
(call_expression
  function: (import)
  arguments: (arguments . [(string) (template_string)] @target)) @dynamic
"""

GO = r"""
(package_clause (package_identifier) @declare)
(import_spec) @import
"""

RUST = r"""
(use_declaration argument: (_) @tree) @use
(mod_item !body) @mod
(extern_crate_declaration name: (identifier) @target) @extern_crate
"""

PHP = r"""
(namespace_definition name: (namespace_name) @declare)
(namespace_use_declaration) @use
[
  (require_expression)
  (require_once_expression)
  (include_expression)
  (include_once_expression)
] @include
"""

RUBY = r"""
(call
  !receiver
  method: (identifier) @kind (#any-of? @kind "require" "require_relative" "load")
  arguments: (argument_list . (string) @target)) @call
(call
  !receiver
  method: (identifier) @_m (#eq? @_m "autoload")
  arguments: (argument_list . [(simple_symbol) (string)] @name . (string) @target)) @autoload
"""

QUERIES: dict[str, str] = {
    "python": PYTHON,
    "java": JAVA,
    "kotlin": KOTLIN,
    "scala": SCALA,
    "c-sharp": C_SHARP,
    "c": C_FAMILY,
    "cpp": C_FAMILY,
    "javascript": JAVASCRIPT,
    "typescript": JAVASCRIPT,
    "tsx": JAVASCRIPT,
    "go": GO,
    "rust": RUST,
    "php": PHP,
    "ruby": RUBY,
}

# Type and constant references (see :mod:`parsers.references`): ``@type`` a type name in a
# type position, ``@scoped`` a qualified type (outermost kept), ``@object`` the simple-name
# qualifier of a member access, ``@qualified`` a dotted chain (outermost kept), a dotted
# qualifier or annotation name,
# ``@declared`` the name of a type declaration (any depth), ``@top`` that of a top-level
# declaration visible to the whole package, ``@parameter`` a type parameter,
# ``@variable`` a variable, parameter or field. They are appended to the structure query
# of :mod:`parsers.structure`, so their capture names must differ from its names.
_JAVA_TYPES = ("class_declaration", "interface_declaration", "enum_declaration",
               "record_declaration", "annotation_type_declaration")


def _declarations(node_types: tuple[str, ...], capture: str) -> str:
    """Patterns capturing the ``name`` identifier of each declaration type as ``capture``."""
    return " ".join(f"({t} name: (identifier) @{capture})" for t in node_types)


JAVA_REFERENCES = rf"""
(type_identifier) @type
(scoped_type_identifier) @scoped
(type_parameter . (type_identifier) @parameter)
(method_invocation object: (identifier) @object)
(field_access object: (identifier) @object)
(method_reference . (identifier) @object)
(marker_annotation name: (identifier) @type)
(annotation name: (identifier) @type)
(marker_annotation name: (scoped_identifier) @qualified)
(annotation name: (scoped_identifier) @qualified)
(method_invocation object: (field_access) @qualified)
(field_access object: (field_access)) @qualified
(method_reference . (field_access) @qualified)
{_declarations(_JAVA_TYPES, "declared")}
(program [{_declarations(_JAVA_TYPES, "top")}])
(variable_declarator name: (identifier) @variable)
(formal_parameter name: (identifier) @variable)
(catch_formal_parameter name: (identifier) @variable)
(enhanced_for_statement name: (identifier) @variable)
(lambda_expression parameters: (identifier) @variable)
(inferred_parameters (identifier) @variable)
(resource name: (identifier) @variable)
"""

# Kotlin: a package's top-level classes, objects, type aliases, functions and properties
# are visible in the whole package, so all of them are ``@top`` declarations; calls
# (``Made()``, ``helper()``), receivers (``Util.call()``), bare arguments and initializers
# (``register(SomeEvent)``, ``val d = SomeObject``: an object or companion) are ``@object``.
KOTLIN_REFERENCES = r"""
(user_type . (identifier) @type)
(call_expression . (identifier) @object)
(navigation_expression . (identifier) @object)
(callable_reference . (identifier) @object)
(value_argument . (identifier) @object .)
(property_declaration (identifier) @object)
(type_parameter . (identifier) @parameter)
(class_declaration name: (identifier) @declared)
(object_declaration name: (identifier) @declared)
(type_alias type: (identifier) @declared)
(function_declaration name: (identifier) @declared)
(source_file [
  (class_declaration name: (identifier) @top)
  (object_declaration name: (identifier) @top)
  (type_alias type: (identifier) @top)
  (function_declaration name: (identifier) @top)
  (property_declaration (variable_declaration . (identifier) @top))])
(variable_declaration . (identifier) @variable)
(parameter . (identifier) @variable)
(class_parameter . (identifier) @variable)
(catch_block . (identifier) @variable)
"""

# PHP: class names as written (``Foo``, ``Sub\Foo``, ``\Full\Name``) where only a class,
# interface, trait or enum can stand; ``$variables`` never collide with them. PHP has no
# nested classes: every class-like declaration belongs to its namespace (``@top``).
_PHP_NAME = "[(name) (qualified_name)]"
PHP_REFERENCES = rf"""
(named_type {_PHP_NAME} @type)
(object_creation_expression . {_PHP_NAME} @type)
(scoped_call_expression scope: {_PHP_NAME} @type)
(class_constant_access_expression . {_PHP_NAME} @type)
(scoped_property_access_expression scope: {_PHP_NAME} @type)
(base_clause {_PHP_NAME} @type)
(class_interface_clause {_PHP_NAME} @type)
(binary_expression operator: "instanceof" right: {_PHP_NAME} @type)
(attribute {_PHP_NAME} @type)
(use_declaration {_PHP_NAME} @type)
(class_declaration name: (name) @top)
(interface_declaration name: (name) @top)
(trait_declaration name: (name) @top)
(enum_declaration name: (name) @top)
"""

# Ruby: constants (``@type``), constant paths (``@scoped``, outermost kept), and the
# ``class``/``module`` definitions whose nesting decides where a constant is looked up
# (``@ruby_scope`` the definition, ``@ruby_name`` its name, paired in document order).
RUBY_REFERENCES = r"""
(constant) @type
(scope_resolution) @scoped
(class name: (_) @ruby_name) @ruby_scope
(module name: (_) @ruby_name) @ruby_scope
"""

# C#: identifiers in the grammar's ``type``/``returns`` fields, generic names, type
# arguments, base lists and attributes; qualified types whole; member-access receivers.
_CSHARP_TYPES = ("class_declaration", "struct_declaration", "interface_declaration",
                 "enum_declaration", "record_declaration", "delegate_declaration")
CSHARP_REFERENCES = "\n".join((
    "(_ type: (identifier) @type)",
    "(_ returns: (identifier) @type)",
    "(_ type: (qualified_name) @scoped)",
    "(_ returns: (qualified_name) @scoped)",
    "(generic_name . (identifier) @type)",
    "(type_argument_list (identifier) @type)",
    "(type_argument_list (qualified_name) @scoped)",
    "(base_list (identifier) @type)",
    "(base_list (qualified_name) @scoped)",
    "(attribute name: (identifier) @type)",
    "(attribute name: (qualified_name) @scoped)",
    "(member_access_expression expression: (identifier) @object)",
    "(as_expression right: (identifier) @type)",
    "(constant_pattern (identifier) @object)",
    "(type_parameter name: (identifier) @parameter)",
    _declarations(_CSHARP_TYPES, "declared"),
    f"(namespace_declaration body: (declaration_list [{_declarations(_CSHARP_TYPES, 'top')}]))",
    f"(compilation_unit [{_declarations(_CSHARP_TYPES, 'top')}])",
    "(variable_declarator name: (identifier) @variable)",
    "(parameter name: (identifier) @variable)",
    "(catch_declaration name: (identifier) @variable)",
    "(declaration_pattern name: (identifier) @variable)",
    "(foreach_statement left: (identifier) @variable)",
    "(property_declaration name: (identifier) @variable)",
))

# Scala: type positions, qualified types (``Outer.Inner``), call targets (``Made(1)``,
# ``helper()``) and receivers (``Util.call()``); top-level classes, objects, traits and
# enums of the compilation unit or of a package block are visible to the package.
_SCALA_TYPES = ("class_definition", "object_definition", "trait_definition", "enum_definition")
SCALA_REFERENCES = "\n".join((
    "(type_identifier) @type",
    "(stable_type_identifier) @scoped",
    "(field_expression value: (identifier) @object)",
    "(call_expression function: (identifier) @object)",
    "(type_parameters name: (identifier) @parameter)",
    _declarations(_SCALA_TYPES, "declared"),
    f"(compilation_unit [{_declarations(_SCALA_TYPES, 'top')}])",
    f"(package_clause body: (template_body [{_declarations(_SCALA_TYPES, 'top')}]))",
    "(val_definition pattern: (identifier) @variable)",
    "(var_definition pattern: (identifier) @variable)",
    "(parameter name: (identifier) @variable)",
    "(class_parameter name: (identifier) @variable)",
))

REFERENCES: dict[str, str] = {
    "java": JAVA_REFERENCES,
    "scala": SCALA_REFERENCES,
    "c-sharp": CSHARP_REFERENCES,
    "kotlin": KOTLIN_REFERENCES,
    "php": PHP_REFERENCES,
    "ruby": RUBY_REFERENCES,
}
