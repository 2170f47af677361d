"""HTTP infrastructure that both apps use: caching, downloads, URL converters.

It imports neither `education` nor `journal`, so either app can use it without knowing the other.
"""
