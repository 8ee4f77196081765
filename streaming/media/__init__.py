"""Media: packaging masters with ffmpeg into HLS, storage (local folder, S3), presentation videos, the stored text
tracks."""
