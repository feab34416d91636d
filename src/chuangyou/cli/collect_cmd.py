def register(root): pass
