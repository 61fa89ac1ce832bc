"""Ruby resolution: require_relative, require through lib/ folders, load."""
from __future__ import annotations

from parsers.imports import parse_file
from parsers.model import Import, ParsedFile
from parsers.resolve import RepoFile, resolve_repository

from conftest import parsed_edges


def rb(path: str, *imports: Import) -> RepoFile:
    return RepoFile(path, "ruby", ParsedFile("ruby", imports=imports))


def req(target: str, kind: str = "require") -> Import:
    return Import(kind, target, text=f'{kind} "{target}"')


def resolve_one(files: list[RepoFile]) -> tuple[list[str], str]:
    edges, _, outcomes = resolve_repository(files, {})
    assert len(outcomes) == 1
    return [e.imported for e in edges], outcomes[0][2]


def test_require_relative_adds_rb_extension():
    files = [rb("lib/gem/a.rb", req("../gem/b", "require_relative")), rb("lib/gem/b.rb")]
    assert resolve_one(files) == (["lib/gem/b.rb"], "resolved")


def test_missing_require_relative_is_unresolved():
    assert resolve_one([rb("a.rb", req("nope", "require_relative"))]) == ([], "unresolved")


def test_require_finds_file_under_lib():
    files = [rb("bin/tool", req("tool/cli")), rb("lib/tool/cli.rb")]
    assert resolve_one(files) == (["lib/tool/cli.rb"], "resolved")


def test_require_prefers_the_nearest_lib_folder():
    files = [rb("gems/b/lib/b.rb", req("shared")), rb("gems/a/lib/shared.rb"), rb("gems/b/lib/shared.rb")]
    assert resolve_one(files) == (["gems/b/lib/shared.rb"], "resolved")


def test_require_falls_back_to_repository_root():
    files = [rb("spec/a_spec.rb", req("spec_helper_support")), rb("spec_helper_support.rb")]
    assert resolve_one(files) == (["spec_helper_support.rb"], "resolved")


def test_require_of_gem_is_external():
    assert resolve_one([rb("a.rb", req("json"))]) == ([], "external")


def test_load_takes_the_name_as_written():
    files = [rb("Rakefile", req("tasks/build.rake", "load")), rb("tasks/build.rake")]
    assert resolve_one(files) == (["tasks/build.rake"], "resolved")


def test_end_to_end_parsed_ruby_repository():
    sources = {
        "lib/tool.rb": 'require "json"\nrequire "tool/version"\nrequire_relative "tool/cli"\n'
                       'autoload :Config, "tool/config"\n',
        "lib/tool/version.rb": "module Tool; VERSION = '1'; end\n",
        "lib/tool/cli.rb": 'require_relative "missing"\n',
        "lib/tool/config.rb": "",
    }
    files = [RepoFile(p, "ruby", parse_file("ruby", s, p)) for p, s in sources.items()]
    edges, stats, _ = resolve_repository(files, {})
    assert [(e.importer, e.imported) for e in edges] == [
        ("lib/tool.rb", "lib/tool/cli.rb"),
        ("lib/tool.rb", "lib/tool/config.rb"),
        ("lib/tool.rb", "lib/tool/version.rb"),
    ]
    assert stats == (5, 3, 1, 1)


# ---------------------------------------------------------------- constants without require (issue 13)

def ruby_repo(sources: dict[str, str]) -> set[tuple[str, str]]:
    return parsed_edges("ruby", sources)


def test_zeitwerk_constant_path_maps_to_its_file():
    assert ruby_repo({
        "app/models/order.rb": "class Order\n  def lines = Billing::InvoiceLine.all\nend\n",
        "app/models/billing/invoice_line.rb": "module Billing\n  class InvoiceLine; end\nend\n",
    }) == {("app/models/order.rb", "app/models/billing/invoice_line.rb")}


def test_constant_is_looked_up_in_the_enclosing_namespace_first():
    assert ruby_repo({
        "lib/billing/invoice.rb": "module Billing\n  class Invoice\n    def tax = Tax.new\n  end\nend\n",
        "lib/billing/tax.rb": "module Billing\n  class Tax; end\nend\n",
        "lib/tax.rb": "class Tax; end\n",
    }) == {("lib/billing/invoice.rb", "lib/billing/tax.rb")}


def test_constant_defined_in_the_file_itself_gives_no_edge():
    assert ruby_repo({
        "lib/shop/cart.rb": "module Shop\n  class Cart\n    class Item; end\n    def add = Item.new\n  end\nend\n",
        "lib/shop/item.rb": "module Shop\n  class Item; end\nend\n",
    }) == set()


def test_acronym_constant_matches_snake_case_file_and_values_are_not_classes():
    assert ruby_repo({
        "lib/app.rb": "class App\n  def parse = HTMLParser.new(Config::DEFAULT)\nend\n",
        "lib/html_parser.rb": "class HTMLParser; end\n",
        "lib/config.rb": "module Config\n  DEFAULT = 1\nend\n",
    }) == {("lib/app.rb", "lib/html_parser.rb"), ("lib/app.rb", "lib/config.rb")}


def test_constant_path_also_depends_on_its_namespace_file():
    assert ruby_repo({
        "spec/order_spec.rb": "describe Shop::Order do\nend\n",
        "lib/shop.rb": "module Shop; end\n",
        "lib/shop/order.rb": "module Shop\n  class Order; end\nend\n",
    }) == {("spec/order_spec.rb", "lib/shop/order.rb"), ("spec/order_spec.rb", "lib/shop.rb")}
