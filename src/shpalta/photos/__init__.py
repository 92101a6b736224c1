"""The photo library: images uploaded once, cleaned of metadata, reused in many stories, and
served as renditions (AVIF, WebP, JPEG at the layout's widths, cropped around a focal point)."""
