"""The Qt window: everything in dockview that imports QtWidgets."""
