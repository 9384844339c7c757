-- The desired schema, declared: Lockplane works out how to get there.
CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    name       varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);
