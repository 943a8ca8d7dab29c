namespace TableStore.Core.Scan;

public enum CompareOp { Eq, NotEq, Lt, LtEq, Gt, GtEq }
