-- Test only: a third auth table, to show that adding one is an entity, a migration and a line of config.
select authgate_create_auth_table('customer');
