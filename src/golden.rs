//! Golden files: comparing reports with blessed ones, and blessing.
