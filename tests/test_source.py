"""print_source shows the helpers' code with the docstring folded, on every Python."""

import pytest

from helpers import plain_gradient_descent, update_params
from helpers.source import print_source, source_lines


def test_docstring_is_folded_and_the_code_kept():
    lines = source_lines(update_params)
    assert lines[0].startswith("def update_params(") and lines[1] == '    """..."""'
    assert "    W1 = W1 - alpha * dW1" in lines and not any("Taught in" in line for line in lines)


def test_a_slice_of_the_source(capsys):
    print_source(plain_gradient_descent, start="for _ in range", stop="return")
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "for _ in range(iterations):" and len(printed) == 4
    assert printed[2].strip().startswith("dW1, db1, dW2, db2 = backward_prop(")


def test_a_missing_line_is_a_clear_error():
    with pytest.raises(ValueError, match="no line of update_params starts with 'nonsense'"):
        print_source(update_params, start="nonsense")


def test_a_function_without_docstring_is_printed_whole(capsys):
    def f(x):
        return x + 1

    print_source(f)
    assert capsys.readouterr().out == "def f(x):\n    return x + 1\n"
