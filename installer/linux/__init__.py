"""The Linux one-folder build (PyInstaller), its .deb and tarball."""
