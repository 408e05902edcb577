using System.Text.Json.Serialization;

namespace Fer.Registry.Model;

public enum ProductionChangeKind
{
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    [JsonStringEnumMemberName("rolledBack")]
    RolledBack,
}
