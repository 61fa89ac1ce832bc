# frozen_string_literal: true

require "json"
require "fileutils"
require_relative "task"

module Rubytasks
  # Persists tasks as a JSON array; writes go through a temporary file and a rename.
  class Store
    DEFAULT_PATH = File.join(Dir.home, ".rubytasks.json")

    def initialize(path = DEFAULT_PATH)
      @path = path
    end

    def all
      return [] unless File.exist?(@path)

      JSON.parse(File.read(@path)).map { |h| Task.from_h(h) }
    end

    def add(title, due: nil)
      tasks = all
      task = Task.new(id: (tasks.map(&:id).max || 0) + 1, title: title, due: due)
      save(tasks + [task])
      task
    end

    def complete(id)
      tasks = all
      index = tasks.index { |t| t.id == id } or raise KeyError, "no task #{id}"
      tasks[index] = tasks[index].complete
      save(tasks)
      tasks[index]
    end

    private

    def save(tasks)
      FileUtils.mkdir_p(File.dirname(@path))
      tmp = "#{@path}.tmp"
      File.write(tmp, JSON.pretty_generate(tasks.map(&:to_h)))
      File.rename(tmp, @path)
    end
  end
end
