namespace Aigc.Data;

/// <summary>
/// Applies a policy to missing and empty fields (id <c>clean.empty-fields</c>): a field is empty when its text is
/// empty or only white space. Per field (see <see cref="EmptyFieldOptions"/>): reject the record (<c>field 'output' is
/// empty</c>, <c>field 'output' is missing</c>), drop the field, fill a default value, or keep it. A record without
/// any field, or left without any after dropping, is rejected. Counters: <c>clean.empty_fields.dropped</c> and
/// <c>clean.empty_fields.filled</c>.
/// </summary>
/// <remarks>A record is rejected before anything is changed, so the rejects file holds it as it arrived.</remarks>
public sealed class EmptyFieldStep : RecordStep
{
    private readonly KeyValuePair<string, EmptyFieldRule>[] _rules;
    private readonly Dictionary<string, EmptyFieldRule> _ruleByName;
    private readonly EmptyFieldRule _defaultRule;

    /// <summary>Initializes the step with the default settings: every empty field rejects the record.</summary>
    public EmptyFieldStep()
        : this(new EmptyFieldOptions())
    {
    }

    /// <summary>Initializes the step.</summary>
    /// <param name="options">The settings; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its <see cref="EmptyFieldOptions.DefaultRule"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A rule is for an empty field name or is <see langword="null"/>.</exception>
    public EmptyFieldStep(EmptyFieldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.DefaultRule, nameof(options) + "." + nameof(options.DefaultRule));
        _defaultRule = options.DefaultRule;
        _ruleByName = new Dictionary<string, EmptyFieldRule>(StringComparer.Ordinal);
        var parameters = new StepParameters().Add("default", _defaultRule.ToString());
        foreach (var (name, rule) in options.Rules)
        {
            if (string.IsNullOrEmpty(name) || rule is null)
            {
                throw new ArgumentException("Every rule needs a field name and a rule (EmptyFieldRule.Reject, Drop, Keep or Default(value)).", nameof(options));
            }

            _ruleByName[name] = rule;
            parameters.Add("field." + name, rule.ToString());
        }

        var rules = new List<KeyValuePair<string, EmptyFieldRule>>(_ruleByName);
        rules.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        _rules = [.. rules];
        Parameters = parameters;
    }

    /// <inheritdoc />
    public override string Id => "clean.empty-fields";

    /// <inheritdoc />
    public override int Version => 1;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Parameters { get; }

    /// <inheritdoc />
    protected override StepDecision Process(DataRecord record, DataStepContext context)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var fields = record.Fields;
        if (fields.Count == 0)
        {
            return StepDecision.Reject("record has no fields");
        }

        // First decide, without changing the record.
        var remaining = fields.Count;
        var changes = false;
        foreach (var field in fields)
        {
            if (!string.IsNullOrWhiteSpace(field.Value))
            {
                continue;
            }

            switch (RuleFor(field.Name).Policy)
            {
                case EmptyFieldPolicy.Reject:
                    return StepDecision.Reject($"field '{field.Name}' is empty");
                case EmptyFieldPolicy.Drop:
                    remaining--;
                    changes = true;
                    break;
                case EmptyFieldPolicy.Default:
                    changes = true;
                    break;
            }
        }

        foreach (var (name, rule) in _rules)
        {
            if (rule.Policy is EmptyFieldPolicy.Reject or EmptyFieldPolicy.Default && record.GetField(name) is null)
            {
                if (rule.Policy == EmptyFieldPolicy.Reject)
                {
                    return StepDecision.Reject($"field '{name}' is missing");
                }

                remaining++;
                changes = true;
            }
        }

        if (remaining == 0)
        {
            return StepDecision.Reject("record has no fields left after dropping empty fields");
        }

        if (changes)
        {
            Apply(record, context);
        }

        return StepDecision.Keep;
    }

    private void Apply(DataRecord record, DataStepContext context)
    {
        var fields = record.Fields;
        var dropped = 0;
        var filled = 0;
        for (var i = fields.Count - 1; i >= 0; i--)
        {
            var field = fields[i];
            if (!string.IsNullOrWhiteSpace(field.Value))
            {
                continue;
            }

            var rule = RuleFor(field.Name);
            if (rule.Policy == EmptyFieldPolicy.Drop)
            {
                fields.RemoveAt(i);
                dropped++;
            }
            else if (rule.Policy == EmptyFieldPolicy.Default)
            {
                field.Value = rule.DefaultValue!;
                filled++;
            }
        }

        foreach (var (name, rule) in _rules)
        {
            if (rule.Policy == EmptyFieldPolicy.Default && record.GetField(name) is null)
            {
                record.AddField(name, rule.DefaultValue!);
                filled++;
            }
        }

        if (dropped > 0)
        {
            context.Increment("clean.empty_fields.dropped", dropped);
        }

        if (filled > 0)
        {
            context.Increment("clean.empty_fields.filled", filled);
        }
    }

    private EmptyFieldRule RuleFor(string name) => _ruleByName.TryGetValue(name, out var rule) ? rule : _defaultRule;
}
