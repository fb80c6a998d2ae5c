"""Where courses keep grades: nbgrader (notebooks and its gradebook) and the rosters of Canvas and Moodle."""
