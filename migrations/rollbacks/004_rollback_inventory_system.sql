-- rollback: 004
-- description: Drop the inventory tables fuel_deliveries and fuel_inventory
-- destroys: every station's recorded fuel stock levels, reorder levels and tank capacities, and
-- the whole history of tanker deliveries with their supplier invoice numbers.

DROP TABLE fuel_deliveries;
DROP TABLE fuel_inventory;
