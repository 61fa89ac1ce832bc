# frozen_string_literal: true

module Rubytasks
  VERSION = "0.4.0"
end
