namespace TableStore.Streaming.Kafka;

/// <summary>A publish or read on a Kafka stream failed; the message says which topic, partition and brokers.</summary>
public sealed class KafkaStreamException : Exception
{
    public KafkaStreamException() { }

    public KafkaStreamException(string message) : base(message) { }

    public KafkaStreamException(string message, Exception inner) : base(message, inner) { }
}
