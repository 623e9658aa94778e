<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BackupPruner</name>
    <message numerus="yes">
        <source>Removing %n backup(s)</source>
        <translation>
            <numerusform>Removing %n backup</numerusform>
            <numerusform>Removing %n backups</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupRetention</name>
    <message numerus="yes">
        <source>one of the last %n</source>
        <translation>
            <numerusform>the newest</numerusform>
            <numerusform>one of the last %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupRunner</name>
    <message numerus="yes">
        <source>%1 (%n schema(s))</source>
        <translation>
            <numerusform>%1 (%n schema)</numerusform>
            <numerusform>%1 (%n schemas)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backing up %n archive(s)</source>
        <translation>
            <numerusform>Backing up %n archive</numerusform>
            <numerusform>Backing up %n archives</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LoginPrivileges</name>
    <message numerus="yes">
        <source>%1 is a %2 login but can write (%n privilege(s): %3)</source>
        <translation>
            <numerusform>%1 is a %2 login but can write (%n privilege: %3)</numerusform>
            <numerusform>%1 is a %2 login but can write (%n privileges: %3)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>READ-ONLY · this session only: the login can write (%n privilege(s); see fuelsync-db roles list)</source>
        <translation>
            <numerusform>READ-ONLY · this session only: the login can write (%n privilege; see fuelsync-db roles list)</numerusform>
            <numerusform>READ-ONLY · this session only: the login can write (%n privileges; see fuelsync-db roles list)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationPlan</name>
    <message numerus="yes">
        <source>%n schemas</source>
        <translation>
            <numerusform>%n schema</numerusform>
            <numerusform>%n schemas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationPreview</name>
    <message numerus="yes">
        <source>in %n schemas</source>
        <translation>
            <numerusform>in %n schema</numerusform>
            <numerusform>in %n schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>rolling back %1 (%2) drops the tenant registry public.tenants, where %n tenants are registered (%3): their schemas would stay behind, unregistered, and no later &apos;migrate up&apos; would find them. Roll back only the tenants (--tenant=SCHEMA), or remove the tenants first</source>
        <translation>
            <numerusform>rolling back %1 (%2) drops the tenant registry public.tenants, where %n tenant is registered (%3): its schema would stay behind, unregistered, and no later &apos;migrate up&apos; would find it. Roll back only the tenant (--tenant=SCHEMA), or remove it first</numerusform>
            <numerusform>rolling back %1 (%2) drops the tenant registry public.tenants, where %n tenants are registered (%3): their schemas would stay behind, unregistered, and no later &apos;migrate up&apos; would find them. Roll back only the tenants (--tenant=SCHEMA), or remove the tenants first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationRunner</name>
    <message numerus="yes">
        <source>Plan: %1 %2 in %n schemas</source>
        <translation>
            <numerusform>Plan: %1 %2 in %n schema</numerusform>
            <numerusform>Plan: %1 %2 in %n schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenant schemas</source>
        <translation>
            <numerusform>%n tenant schema</numerusform>
            <numerusform>%n tenant schemas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationValidation</name>
    <message numerus="yes">
        <source>validating the %n schema(s) the run will touch</source>
        <translation>
            <numerusform>validating the %n schema the run will touch</numerusform>
            <numerusform>validating the %n schemas the run will touch</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 drifted from the reference of its version (%n finding(s), first: %2); &apos;fuelsync-db validate --tenant=%1 --check=drift&apos; lists them</source>
        <translation>
            <numerusform>%1 drifted from the reference of its version (%n finding, first: %2); &apos;fuelsync-db validate --tenant=%1 --check=drift&apos; lists them</numerusform>
            <numerusform>%1 drifted from the reference of its version (%n findings, first: %2); &apos;fuelsync-db validate --tenant=%1 --check=drift&apos; lists them</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RoleSetup</name>
    <message numerus="yes">
        <source>gave %n object(s) in %1 schema(s) to fuelsync_owner</source>
        <translation>
            <numerusform>gave %n object in %1 schema to fuelsync_owner</numerusform>
            <numerusform>gave %n objects in %1 schemas to fuelsync_owner</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>made %n grant(s) so fuelsync_support reads every tenant table and public&apos;s tables, secrets excepted</source>
        <translation>
            <numerusform>made %n grant so fuelsync_support reads every tenant table and public&apos;s tables, secrets excepted</numerusform>
            <numerusform>made %n grants so fuelsync_support reads every tenant table and public&apos;s tables, secrets excepted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s) stay with their owner, whom this login cannot act as: %1</source>
        <translation>
            <numerusform>%n object stay with their owner, whom this login cannot act as: %1</numerusform>
            <numerusform>%n objects stay with their owner, whom this login cannot act as: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScheduledBackup</name>
    <message numerus="yes">
        <source>%n old backup(s) pruned</source>
        <translation>
            <numerusform>%n old backup pruned</numerusform>
            <numerusform>%n old backups pruned</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SchemaMigrator</name>
    <message numerus="yes">
        <source>this rollback drops the tenant registry public.tenants, where %n tenants are registered: it was undone. Roll back the tenants (--tenant), remove them from public.tenants, then roll public back</source>
        <translation>
            <numerusform>this rollback drops the tenant registry public.tenants, where %n tenant is registered: it was undone. Roll back the tenant (--tenant), remove it from public.tenants, then roll public back</numerusform>
            <numerusform>this rollback drops the tenant registry public.tenants, where %n tenants are registered: it was undone. Roll back the tenants (--tenant), remove them from public.tenants, then roll public back</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SchemaValidator</name>
    <message numerus="yes">
        <source>%n migration(s) not applied: %1</source>
        <translation>
            <numerusform>%n migration not applied: %1</numerusform>
            <numerusform>%n migrations not applied: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>comparing %n tenants with the reference of %1</source>
        <translation>
            <numerusform>comparing %n tenant with the reference of %1</numerusform>
            <numerusform>comparing %n tenants with the reference of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenants match the reference of %1</source>
        <translation>
            <numerusform>%n tenant matches the reference of %1</numerusform>
            <numerusform>%n tenants match the reference of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n differ</source>
        <translation>
            <numerusform>%n differs</numerusform>
            <numerusform>%n differ</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows of %1 refer to no row of %2 (%3), e.g. (%4); %5</source>
        <translation>
            <numerusform>%n row of %1 refers to no row of %2 (%3), e.g. (%4); %5</numerusform>
            <numerusform>%n rows of %1 refer to no row of %2 (%3), e.g. (%4); %5</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sequence(s) cannot be read by this login (it needs SELECT or USAGE on them)</source>
        <translation>
            <numerusform>%n sequence cannot be read by this login (it needs SELECT or USAGE on them)</numerusform>
            <numerusform>%n sequences cannot be read by this login (it needs SELECT or USAGE on them)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, with %n of its columns, constraints, indexes and triggers</source>
        <translation>
            <numerusform>, with %n of its columns, constraints, indexes and triggers</numerusform>
            <numerusform>, with %n of its columns, constraints, indexes and triggers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows of %1 break the reference&apos;s %2 (%3), which the table %4; rows at %5</source>
        <translation>
            <numerusform>%n row of %1 breaks the reference&apos;s %2 (%3), which the table %4; the row at %5</numerusform>
            <numerusform>%n rows of %1 break the reference&apos;s %2 (%3), which the table %4; rows at %5</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n meter reading(s) lower than the nozzle&apos;s reading before, e.g. %1</source>
        <translation>
            <numerusform>%n meter reading lower than the nozzle&apos;s reading before, e.g. %1</numerusform>
            <numerusform>%n meter readings lower than the nozzle&apos;s reading before, e.g. %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reading(s) after a nozzle&apos;s first with no sale, e.g. %1</source>
        <translation>
            <numerusform>%n reading after a nozzle&apos;s first with no sale, e.g. %1</numerusform>
            <numerusform>%n readings after a nozzle&apos;s first with no sale, e.g. %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n creditor(s) owe more than their credit limit: %1</source>
        <translation>
            <numerusform>%n creditor owe more than their credit limit: %1</numerusform>
            <numerusform>%n creditors owe more than their credit limit: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fuel stock(s) below zero: %1</source>
        <translation>
            <numerusform>%n fuel stock below zero: %1</numerusform>
            <numerusform>%n fuel stocks below zero: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SeedRunner</name>
    <message numerus="yes">
        <source>Seeding %n tenants</source>
        <translation>
            <numerusform>Seeding %n tenant</numerusform>
            <numerusform>Seeding %n tenants</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StationGraphReader</name>
    <message numerus="yes">
        <source>No reading for %n day(s) (the latest: %1).</source>
        <translation>
            <numerusform>No reading for %n day (the latest: %1).</numerusform>
            <numerusform>No reading for %n days (the latest: %1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) of the day charged another price than the one in force (e.g. ₹%1/L instead of ₹%2/L).</source>
        <translation>
            <numerusform>%n sale of the day charged another price than the one in force (e.g. ₹%1/L instead of ₹%2/L).</numerusform>
            <numerusform>%n sales of the day charged another price than the one in force (e.g. ₹%1/L instead of ₹%2/L).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s) of the day made while no %1 price was set.</source>
        <translation>
            <numerusform>%n sale of the day made while no %1 price was set.</numerusform>
            <numerusform>%n sales of the day made while no %1 price was set.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantProvisioner</name>
    <message numerus="yes">
        <source>version %1, the version the %n registered tenants are at</source>
        <translation>
            <numerusform>version %1, the version the %n registered tenant is at</numerusform>
            <numerusform>version %1, the version the %n registered tenants are at</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n at %1</source>
        <translation>
            <numerusform>%n at %1</numerusform>
            <numerusform>%n at %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TenantQuery</name>
    <message numerus="yes">
        <source>a question to every tenant is one statement; this text holds %n</source>
        <translation>
            <numerusform>a question to every tenant is one statement; this text holds %n</numerusform>
            <numerusform>a question to every tenant is one statement; this text holds %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>asking %n tenants</source>
        <translation>
            <numerusform>asking %n tenant</numerusform>
            <numerusform>asking %n tenants</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TextLists</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync-db</name>
    <message numerus="yes">
        <source>About to ROLL BACK %1 in %n schemas of %2 (%3).</source>
        <translation>
            <numerusform>About to ROLL BACK %1 in %n schema of %2 (%3).</numerusform>
            <numerusform>About to ROLL BACK %1 in %n schemas of %2 (%3).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About to apply %1 in %n schemas of %2 (%3).</source>
        <translation>
            <numerusform>About to apply %1 in %n schema of %2 (%3).</numerusform>
            <numerusform>About to apply %1 in %n schemas of %2 (%3).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenant schemas</source>
        <translation>
            <numerusform>%n tenant schema</numerusform>
            <numerusform>%n tenant schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n failed</source>
        <translation>
            <numerusform>, %n failed</numerusform>
            <numerusform>, %n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in public</source>
        <translation>
            <numerusform>%n in public</numerusform>
            <numerusform>%n in public</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>... and %n other variants (see --json)</source>
        <translation>
            <numerusform>... and %n other variant (see --json)</numerusform>
            <numerusform>... and %n other variants (see --json)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Failed in %n schemas (each was left exactly as before its failed migration):</source>
        <translation>
            <numerusform>Failed in %n schema (it was left exactly as before its failed migration):</numerusform>
            <numerusform>Failed in %n schemas (each was left exactly as before its failed migration):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not run after a failure in their schema: %n migrations.</source>
        <translation>
            <numerusform>Not run after a failure in its schema: %n migration.</numerusform>
            <numerusform>Not run after a failure in their schema: %n migrations.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled while running and rolled back: %n.</source>
        <translation>
            <numerusform>Cancelled while running and rolled back: %n.</numerusform>
            <numerusform>Cancelled while running and rolled back: %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not started: %n.</source>
        <translation>
            <numerusform>Not started: %n.</numerusform>
            <numerusform>Not started: %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n migrations pending: run &apos;fuelsync-db migrate up&apos;.</source>
        <translation>
            <numerusform>%n migration pending: run &apos;fuelsync-db migrate up&apos;.</numerusform>
            <numerusform>%n migrations pending: run &apos;fuelsync-db migrate up&apos;.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n tenants seeded</source>
        <translation>
            <numerusform>, %n tenant seeded</numerusform>
            <numerusform>, %n tenants seeded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n new tenant schemas created and migrated)</source>
        <translation>
            <numerusform> (%n new tenant schema created and migrated)</numerusform>
            <numerusform> (%n new tenant schemas created and migrated)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenants.</source>
        <translation>
            <numerusform>%n tenant.</numerusform>
            <numerusform>%n tenants.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n errors</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warnings</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n acknowledged</source>
        <translation>
            <numerusform>%n acknowledged</numerusform>
            <numerusform>%n acknowledged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n schemas</source>
        <translation>
            <numerusform>in %n schema</numerusform>
            <numerusform>in %n schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backup %1: %n schema(s), %2, %3 rows, in %4 s, in %5</source>
        <translation>
            <numerusform>Backup %1: %n schema, %2, %3 rows, in %4 s, in %5</numerusform>
            <numerusform>Backup %1: %n schemas, %2, %3 rows, in %4 s, in %5</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n schema(s)</source>
        <translation>
            <numerusform>%n schema</numerusform>
            <numerusform>%n schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) that did not finish left a hidden folder (not a backup): %1</source>
        <translation>
            <numerusform>%n run that did not finish left a hidden folder (not a backup): %1</numerusform>
            <numerusform>%n runs that did not finish left a hidden folder (not a backup): %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) would be removed (dry run: nothing was).</source>
        <translation>
            <numerusform>%n backup would be removed (dry run: nothing was).</numerusform>
            <numerusform>%n backups would be removed (dry run: nothing was).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) removed.</source>
        <translation>
            <numerusform>%n backup removed.</numerusform>
            <numerusform>%n backups removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n backup(s) and the run records of %1 from %2 into %3: backups are kept by database now, whichever profile or URI reaches it.</source>
        <translation>
            <numerusform>Moved %n backup and the run records of %1 from %2 into %3: backups are kept by database now, whichever profile or URI reaches it.</numerusform>
            <numerusform>Moved %n backups and the run records of %1 from %2 into %3: backups are kept by database now, whichever profile or URI reaches it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n migrations pending, but &apos;migrate up&apos; would refuse them until the problems above are fixed.</source>
        <translation>
            <numerusform>%n migration pending, but &apos;migrate up&apos; would refuse it until the problems above are fixed.</numerusform>
            <numerusform>%n migrations pending, but &apos;migrate up&apos; would refuse them until the problems above are fixed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n info finding(s)</source>
        <translation>
            <numerusform>%n info finding</numerusform>
            <numerusform>%n info findings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not checked</source>
        <translation>
            <numerusform>%n not checked</numerusform>
            <numerusform>%n not checked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>by %1, %n tenant(s)</source>
        <translation>
            <numerusform>by %1, %n tenant</numerusform>
            <numerusform>by %1, %n tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries.</source>
        <translation>
            <numerusform>%n entry.</numerusform>
            <numerusform>%n entries.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Production runs of %1 now need %n distinct approver(s) of each migration file.</source>
        <translation>
            <numerusform>Production runs of %1 now need %n distinct approver of each migration file.</numerusform>
            <numerusform>Production runs of %1 now need %n distinct approvers of each migration file.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>can write: %n privilege(s)</source>
        <translation>
            <numerusform>can write: %n privilege</numerusform>
            <numerusform>can write: %n privileges</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n login(s)</source>
        <translation>
            <numerusform>%n login</numerusform>
            <numerusform>%n logins</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n error(s)</source>
        <translation>
            <numerusform>, %n error</numerusform>
            <numerusform>, %n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 may write (%n privilege(s)).</source>
        <translation>
            <numerusform>%1 may write (%n privilege).</numerusform>
            <numerusform>%1 may write (%n privileges).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n rows</source>
        <translation>
            <numerusform>(%n row</numerusform>
            <numerusform>(%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> from %n tenants)</source>
        <translation>
            <numerusform> from %n tenant)</numerusform>
            <numerusform> from %n tenants)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenants could not answer; </source>
        <translation>
            <numerusform>%n tenant could not answer; </numerusform>
            <numerusform>%n tenants could not answer; </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answered.</source>
        <translation>
            <numerusform>%n answered.</numerusform>
            <numerusform>%n answered.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n rows)</source>
        <translation>
            <numerusform>(%n row)</numerusform>
            <numerusform>(%n rows)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n more rows not shown)</source>
        <translation>
            <numerusform>(%n more row not shown)</numerusform>
            <numerusform>(%n more rows not shown)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::ApplyChoiceDialog</name>
    <message numerus="yes">
        <source>All tenants (%n)</source>
        <translation>
            <numerusform>All tenants (%n)</numerusform>
            <numerusform>All tenants (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the tenants behind that version (%n)</source>
        <translation>
            <numerusform>Only the tenants behind that version (%n)</numerusform>
            <numerusform>Only the tenants behind that version (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>public, then %n tenant(s): %1</source>
        <translation>
            <numerusform>public, then %n tenant: %1</numerusform>
            <numerusform>public, then %n tenants: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::BackupsPage</name>
    <message numerus="yes">
        <source>%n backup(s) in %1</source>
        <translation>
            <numerusform>%n backup in %1</numerusform>
            <numerusform>%n backups in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backup %1 taken: %n schema(s), %2</source>
        <translation>
            <numerusform>Backup %1 taken: %n schema, %2</numerusform>
            <numerusform>Backup %1 taken: %n schemas, %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) removed.</source>
        <translation>
            <numerusform>%n backup removed.</numerusform>
            <numerusform>%n backups removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 is up to date with the migration files (%n migration(s) applied).</source>
        <translation>
            <numerusform>%1 is up to date with the migration files (%n migration applied).</numerusform>
            <numerusform>%1 is up to date with the migration files (%n migrations applied).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::DiagramPage</name>
    <message numerus="yes">
        <source>%1: %n table(s)</source>
        <translation>
            <numerusform>%1: %n table</numerusform>
            <numerusform>%1: %n tables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n foreign key(s)</source>
        <translation>
            <numerusform>, %n foreign key</numerusform>
            <numerusform>, %n foreign keys</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n in other schemas</source>
        <translation>
            <numerusform>, %n in another schema</numerusform>
            <numerusform>, %n in other schemas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::HealthPage</name>
    <message numerus="yes">
        <source>%n schemas alike</source>
        <translation>
            <numerusform>%n schema</numerusform>
            <numerusform>%n schemas alike</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n info</source>
        <translation>
            <numerusform>%n info</numerusform>
            <numerusform>%n info</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>not checked — %n group(s)</source>
        <translation>
            <numerusform>not checked — %n group</numerusform>
            <numerusform>not checked — %n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n info finding(s)</source>
        <translation>
            <numerusform>%n info finding</numerusform>
            <numerusform>%n info findings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not checked</source>
        <translation>
            <numerusform>%n not checked</numerusform>
            <numerusform>%n not checked</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::MainWindow</name>
    <message numerus="yes">
        <source>Moved %n backup(s) of %1 from %2 into %3: backups are kept by database now.</source>
        <translation>
            <numerusform>Moved %n backup of %1 from %2 into %3: backups are kept by database now.</numerusform>
            <numerusform>Moved %n backups of %1 from %2 into %3: backups are kept by database now.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The sandbox has %n migration(s) pending (%1): nothing was applied. Apply them in View ▸ Migrations, or run &apos;fuelsync-db sandbox start&apos;.</source>
        <translation>
            <numerusform>The sandbox has %n migration pending (%1): nothing was applied. Apply them in View ▸ Migrations, or run &apos;fuelsync-db sandbox start&apos;.</numerusform>
            <numerusform>The sandbox has %n migrations pending (%1): nothing was applied. Apply them in View ▸ Migrations, or run &apos;fuelsync-db sandbox start&apos;.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::MigrationListModel</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n acknowledged</source>
        <translation>
            <numerusform>%n acknowledged</numerusform>
            <numerusform>%n acknowledged</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>CHANGED in %n schema(s)</source>
        <translation>
            <numerusform>CHANGED in %n schema</numerusform>
            <numerusform>CHANGED in %n schemas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::MigrationsPage</name>
    <message numerus="yes">
        <source>Up to date · %n tenant(s)</source>
        <translation>
            <numerusform>Up to date · %n tenant</numerusform>
            <numerusform>Up to date · %n tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n tenant(s)</source>
        <translation>
            <numerusform> · %n tenant</numerusform>
            <numerusform> · %n tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n file problem(s)</source>
        <translation>
            <numerusform> · %n file problem</numerusform>
            <numerusform> · %n file problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n lint error(s)</source>
        <translation>
            <numerusform> · %n lint error</numerusform>
            <numerusform> · %n lint errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Failed in %n schema(s); each failed schema is as it was before.</source>
        <translation>
            <numerusform>Failed in %n schema; each failed schema is as it was before.</numerusform>
            <numerusform>Failed in %n schemas; each failed schema is as it was before.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run of %1 in %n schema(s): every step ran and was rolled back; nothing was changed.</source>
        <translation>
            <numerusform>Dry run of %1 in %n schema: every step ran and was rolled back; nothing was changed.</numerusform>
            <numerusform>Dry run of %1 in %n schemas: every step ran and was rolled back; nothing was changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rolled back %1 in %n schema(s).</source>
        <translation>
            <numerusform>Rolled back %1 in %n schema.</numerusform>
            <numerusform>Rolled back %1 in %n schemas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Applied %1 in %n schema(s).</source>
        <translation>
            <numerusform>Applied %1 in %n schema.</numerusform>
            <numerusform>Applied %1 in %n schemas.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::QueryPage</name>
    <message numerus="yes">
        <source>Every tenant (%n)</source>
        <translation>
            <numerusform>Every tenant (%n)</numerusform>
            <numerusform>Every tenant (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not committed: %1, %n rows</source>
        <translation>
            <numerusform>Not committed: %1, %n row</numerusform>
            <numerusform>Not committed: %1, %n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Running %n statements…</source>
        <translation>
            <numerusform>Running %n statement…</numerusform>
            <numerusform>Running %n statements…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows so far; more as you scroll</source>
        <translation>
            <numerusform>%n row so far; more as you scroll</numerusform>
            <numerusform>%n rows so far; more as you scroll</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>first %n rows; more as you scroll</source>
        <translation>
            <numerusform>first %n row; more as you scroll</numerusform>
            <numerusform>first %n rows; more as you scroll</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more rows were not kept</source>
        <translation>
            <numerusform>%n more row was not kept</numerusform>
            <numerusform>%n more rows were not kept</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n statements in %1 ms</source>
        <translation>
            <numerusform>%n statement in %1 ms</numerusform>
            <numerusform>%n statements in %1 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asking %n tenants…</source>
        <translation>
            <numerusform>Asking %n tenant…</numerusform>
            <numerusform>Asking %n tenants…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> from %n tenants</source>
        <translation>
            <numerusform> from %n tenant</numerusform>
            <numerusform> from %n tenants</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n could not answer (see their tab)</source>
        <translation>
            <numerusform>; %n could not answer (see their tab)</numerusform>
            <numerusform>; %n could not answer (see their tab)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tenants failed</source>
        <translation>
            <numerusform>%n tenant failed</numerusform>
            <numerusform>%n tenants failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n rows)</source>
        <translation>
            <numerusform>%1 (%n row)</numerusform>
            <numerusform>%1 (%n rows)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rows written to %1.</source>
        <translation>
            <numerusform>%n row written to %1.</numerusform>
            <numerusform>%n rows written to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::RunConfirmationDialog</name>
    <message numerus="yes">
        <source>%n tenant schema(s)</source>
        <translation>
            <numerusform>%n tenant schema</numerusform>
            <numerusform>%n tenant schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n schema(s)</source>
        <translation>
            <numerusform>in %n schema</numerusform>
            <numerusform>in %n schemas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> and %n more</numerusform>
            <numerusform> and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n schema(s)</source>
        <translation>
            <numerusform>%n schema</numerusform>
            <numerusform>%n schemas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::StationDetailView</name>
    <message numerus="yes">
        <source>… and %n more (marked in the table)</source>
        <translation>
            <numerusform>… and %n more (marked in the table)</numerusform>
            <numerusform>… and %n more (marked in the table)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pump %1 · %2 to %3 · %n reading(s)</source>
        <translation>
            <numerusform>Pump %1 · %2 to %3 · %n reading</numerusform>
            <numerusform>Pump %1 · %2 to %3 · %n readings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n sale</numerusform>
            <numerusform>%n sales</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>no book stock: the measurement is more than %n day(s) away from these days</source>
        <translation>
            <numerusform>no book stock: the measurement is more than %n day away from these days</numerusform>
            <numerusform>no book stock: the measurement is more than %n days away from these days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::StationGraphScene</name>
    <message numerus="yes">
        <source>%1 · %n pump(s)</source>
        <translation>
            <numerusform>%1 · %n pump</numerusform>
            <numerusform>%1 · %n pumps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n nozzle(s)</source>
        <translation>
            <numerusform>%n nozzle</numerusform>
            <numerusform>%n nozzles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sale(s)</source>
        <translation>
            <numerusform>%n sale</numerusform>
            <numerusform>%n sales</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fuel(s)</source>
        <translation>
            <numerusform>%n fuel</numerusform>
            <numerusform>%n fuels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n open</numerusform>
            <numerusform>%n open</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln sale(s)</source>
        <translation>
            <numerusform>%1: %Ln sale</numerusform>
            <numerusform>%1: %Ln sales</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fuelsync::StationPage</name>
    <message numerus="yes">
        <source>%1 · %2 · %n pump(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n pump</numerusform>
            <numerusform>%1 · %2 · %n pumps</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n nozzle(s)</source>
        <translation>
            <numerusform>, %n nozzle</numerusform>
            <numerusform>, %n nozzles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n thing(s) do not add up (outlined in red)</source>
        <translation>
            <numerusform> · %n thing does not add up (outlined in red)</numerusform>
            <numerusform> · %n things do not add up (outlined in red)</numerusform>
        </translation>
    </message>
</context>
</TS>
