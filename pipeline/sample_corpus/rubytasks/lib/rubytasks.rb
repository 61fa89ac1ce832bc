# frozen_string_literal: true

require "optparse"
require "rubytasks/version"
require_relative "rubytasks/task"
require_relative "rubytasks/store"

# Command-line entry point; see bin/rubytasks.
module Rubytasks
  module_function

  def run(argv, store: Store.new, out: $stdout)
    command = argv.shift
    case command
    when "add"
      due = nil
      OptionParser.new { |o| o.on("--due DATE") { |d| due = d } }.parse!(argv)
      out.puts store.add(argv.join(" "), due: due)
    when "list"
      store.all.sort_by { |t| [t.done ? 1 : 0, t.due || Date::Infinity.new, t.id] }.each { |t| out.puts t }
    when "done"
      out.puts store.complete(Integer(argv.fetch(0)))
    else
      out.puts "usage: rubytasks add TITLE [--due YYYY-MM-DD] | list | done ID"
      return 2
    end
    0
  end
end
