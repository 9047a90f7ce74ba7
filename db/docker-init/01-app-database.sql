-- The app's read model lives beside Temporal's databases (created by temporal-sql-tool) in one cluster.
CREATE DATABASE directives;
