# frozen_string_literal: true

require "minitest/autorun"
require "tmpdir"
require_relative "../lib/rubytasks"

class TestStore < Minitest::Test
  def setup
    @dir = Dir.mktmpdir
    @store = Rubytasks::Store.new(File.join(@dir, "tasks.json"))
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def test_ids_increase_from_one
    assert_equal [1, 2], [@store.add("a").id, @store.add("b").id]
  end

  def test_completed_task_is_persisted
    @store.add("write tests")
    @store.complete(1)
    assert @store.all.first.done
  end

  def test_overdue_ignores_completed_tasks
    task = Rubytasks::Task.new(id: 1, title: "old", due: "2000-01-01", done: true)
    refute task.overdue?
  end
end
