"""nbgrader's configuration for the series (``tools/nbgrader_metadata.py --course DIR`` copies it into DIR).

Read by nbgrader 0.9 from the course directory it runs in (README, "Teach with it").
"""

c = get_config()  # noqa: F821 - nbgrader (traitlets) defines get_config when it loads this file

c.CourseDirectory.course_id = "mnist_from_scratch"
# The stub of a solution region: the same two lines as `python -m helpers.student_edition` writes (nbgrader's
# default for Python too, stated here so that the two editions cannot drift apart).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# nbgrader stops a cell after 30 s by default; a lesson's slowest cell (05's training runs) takes longer on a
# busy machine. Above the slowest whole notebook (measured by tests/test_nbgrader.py), with a wide margin.
c.Execute.timeout = 900
