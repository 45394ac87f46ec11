export interface FundTables {}
