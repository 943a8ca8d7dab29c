namespace TableStore.Core.Schema;

public enum DataTypeKind
{
    Boolean,
    Int,
    BigInt,
    Float,
    Double,
    Decimal,
    String,
    Bytes,
    Date,
    Timestamp,
}
