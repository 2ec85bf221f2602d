"""Print the schema as SDL: `python -m api.export > schema.graphql` (`make schema`)."""

from api.schema import schema

if __name__ == "__main__":
    print(schema.as_str())
