"""nbgrader's configuration for the series (``tools/nbgrader_metadata.py --course DIR`` copies it into DIR).

Read by nbgrader 0.9 from the course directory it runs in (README, "Teach with it").
"""

c = get_config()  # noqa: F821 - nbgrader (traitlets) defines get_config when it loads this file

c.CourseDirectory.course_id = "mnist_from_scratch"
# The stub of a solution region: the same two lines as `python -m helpers.student_edition` writes (nbgrader's
# default for Python too, stated here so that the two editions cannot drift apart).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# nbgrader stops a cell after 30 s by default; 05's training cells take longer. On a quiet 2-core machine the
# slowest whole notebook (05) runs in a few minutes; on one shared by many kernels a single cell of 05 took
# over 900 s. 1800 s per cell is above the slowest whole notebook, with room for a busy machine.
c.Execute.timeout = 1800
