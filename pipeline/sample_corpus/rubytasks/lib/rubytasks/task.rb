# frozen_string_literal: true

require "date"

module Rubytasks
  # A single to-do item. Tasks are value objects; completing one returns a new task.
  class Task
    attr_reader :id, :title, :due, :done

    def initialize(id:, title:, due: nil, done: false)
      raise ArgumentError, "title must not be empty" if title.to_s.strip.empty?

      @id = Integer(id)
      @title = title.strip
      @due = due.is_a?(String) ? Date.iso8601(due) : due
      @done = done
    end

    def complete
      Task.new(id: id, title: title, due: due, done: true)
    end

    def overdue?(today = Date.today)
      !done && !due.nil? && due < today
    end

    def to_h
      { "id" => id, "title" => title, "due" => due&.iso8601, "done" => done }
    end

    def self.from_h(hash)
      new(id: hash["id"], title: hash["title"], due: hash["due"], done: hash["done"])
    end

    def to_s
      mark = done ? "x" : " "
      suffix = due ? " (due #{due.iso8601})" : ""
      format("%3d [%s] %s%s", id, mark, title, suffix)
    end
  end
end
