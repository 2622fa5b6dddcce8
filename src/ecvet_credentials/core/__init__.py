"""Foundation: errors, time, files, paths, multibase."""
