"""Writing the built site: staging, the swap into place and the finishing pass."""
