"""For process owners: process versions, the diagram editor and the instance viewer."""
