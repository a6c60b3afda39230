"""dockview: the history of spacecraft dockings from Launch Library 2, kept offline."""

__version__ = "0.1.0"
