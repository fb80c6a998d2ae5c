"""mpgrade: exercises and an autograder for Python's multiprocessing."""

__version__ = "0.1.0"
