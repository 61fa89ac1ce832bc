"""C# using resolution: namespaces, aliases, static usings, outcomes."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository

from conftest import parsed_edges


def cs(path: str, namespaces: tuple[str, ...], *imports: Import) -> RepoFile:
    return RepoFile(path, "c-sharp", ParsedFile("c-sharp", imports=imports, declares=namespaces))


def using(target: str, kind: str = "using", text: str = "") -> Import:
    return Import(kind, target, text=text or f"using {target};")


def resolve_one(files: list[RepoFile]) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_using_namespace_resolves_to_every_declaring_file():
    files = [cs("Program.cs", ("App",), using("App.Models")),
             cs("Models/User.cs", ("App.Models",)), cs("Models/Order.cs", ("App.Models",)),
             cs("Data/Db.cs", ("App.Data",))]
    assert resolve_one(files) == (["Models/Order.cs", "Models/User.cs"], "resolved")


def test_file_declaring_several_namespaces_is_found_by_each():
    files = [cs("Program.cs", ("App",), using("App.Extra")), cs("Shared.cs", ("App.Core", "App.Extra"))]
    assert resolve_one(files) == (["Shared.cs"], "resolved")


def test_using_static_resolves_to_the_type_file():
    files = [cs("Program.cs", ("App",), using("App.Util.MathHelpers", kind="using_static")),
             cs("Util/MathHelpers.cs", ("App.Util",)), cs("Util/Other.cs", ("App.Util",))]
    assert resolve_one(files) == (["Util/MathHelpers.cs"], "resolved")


def test_alias_to_type_resolves_to_the_type_file():
    files = [cs("Program.cs", ("App",), using("App.Models.User", text="using U = App.Models.User;")),
             cs("User.cs", ("App.Models",)), cs("Order.cs", ("App.Models",))]
    assert resolve_one(files) == (["User.cs"], "resolved")


def test_alias_to_namespace_resolves_to_namespace_files():
    files = [cs("Program.cs", ("App",), using("App.Models", text="using M = App.Models;")),
             cs("User.cs", ("App.Models",))]
    assert resolve_one(files) == (["User.cs"], "resolved")


def test_partial_class_files_belong_to_their_type():
    files = [cs("Program.cs", ("App",), using("App.UI.MainForm", kind="using_static")),
             cs("MainForm.cs", ("App.UI",)), cs("MainForm.Designer.cs", ("App.UI",))]
    assert resolve_one(files) == (["MainForm.Designer.cs", "MainForm.cs"], "resolved")


def test_system_namespace_is_external():
    assert resolve_one([cs("Program.cs", ("App",), using("System.Linq"))]) == ([], "external")


def test_missing_namespace_inside_repository_namespace_is_unresolved():
    files = [cs("Program.cs", ("App",), using("App.Generated"))]
    assert resolve_one(files) == ([], "unresolved")


def test_end_to_end_parsed_csharp_repository():
    sources = {
        "Program.cs": "using System;\nusing Acme.Models;\nusing static Acme.Util.Guard;\nusing M = Acme.Models.User;\n"
                      "namespace Acme { class Program { Order o; } }\n",
        "Models/User.cs": "namespace Acme.Models;\nclass User {}\n",
        "Models/Order.cs": "namespace Acme { namespace Models { class Order {} } }\n",
        "Util/Guard.cs": "namespace Acme.Util { static class Guard {} }\n",
    }
    files = [RepoFile(p, "c-sharp", parse_file("c-sharp", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [e.imported for e in edges] == ["Models/Order.cs", "Models/User.cs", "Util/Guard.cs"]
    assert stats == (4, 3, 1, 0)


# ---------------------------------------------------------------- references without using (issue 13)

def csharp_repo(sources: dict[str, str]) -> set[tuple[str, str]]:
    return parsed_edges("c-sharp", sources)


def test_csharp_same_namespace_type_reaches_every_part_of_a_partial_class():
    assert csharp_repo({
        "App.cs": "namespace Acme { class App { Form f = new Form(); } }\n",
        "Form.cs": "namespace Acme { partial class Form {} }\n",
        "Form.Designer.cs": "namespace Acme { partial class Form {} }\n",
    }) == {("App.cs", "Form.cs"), ("App.cs", "Form.Designer.cs")}


def test_csharp_enclosing_namespace_type_needs_no_using():
    assert csharp_repo({
        "Models/User.cs": "namespace Acme.Models;\nclass User { Guard g; }\n",
        "Guard.cs": "namespace Acme;\nstatic class Guard {}\n",
    }) == {("Models/User.cs", "Guard.cs")}


def test_csharp_using_resolves_only_to_the_types_used():
    assert csharp_repo({
        "App.cs": "using Acme.Models;\nnamespace Acme.App { class Main { User u; } }\n",
        "Models/User.cs": "namespace Acme.Models { class User {} }\n",
        "Models/Order.cs": "namespace Acme.Models { class Order {} }\n",
    }) == {("App.cs", "Models/User.cs")}


def test_csharp_local_variable_named_like_a_type_is_not_an_edge():
    assert csharp_repo({
        "App.cs": "namespace Acme { class App { void M() { var Form = 1; Form.ToString(); } } }\n",
        "Form.cs": "namespace Acme { class Form {} }\n",
    }) == set()
