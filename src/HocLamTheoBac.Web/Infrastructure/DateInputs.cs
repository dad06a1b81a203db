using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>Binds DateOnly and DateOnly? from dd/mm/yyyy (see <see cref="VietnameseDates"/>), with a Vietnamese message naming the field.</summary>
public sealed class VietnameseDateBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext context)
    {
        var result = context.ValueProvider.GetValue(context.ModelName);
        if (result == ValueProviderResult.None) return Task.CompletedTask;
        context.ModelState.SetModelValue(context.ModelName, result);
        var text = result.FirstValue;
        if (!VietnameseDates.TryParse(text, out var date))
        {
            context.ModelState.TryAddModelError(context.ModelName, VietnameseDates.Invalid(context.ModelMetadata.DisplayName, text ?? ""));
            return Task.CompletedTask;
        }
        if (date is null)
        {
            // Empty: a DateOnly? stays null; a DateOnly is left to [Required] or the missing-value message.
            if (Nullable.GetUnderlyingType(context.ModelType) is not null) context.Result = ModelBindingResult.Success(null);
            else context.ModelState.TryAddModelError(context.ModelName, $"{context.ModelMetadata.DisplayName ?? "Ngày"}: vui lòng nhập ngày (dd/mm/yyyy).");
            return Task.CompletedTask;
        }
        context.Result = ModelBindingResult.Success(date.Value);
        return Task.CompletedTask;
    }
}

public sealed class VietnameseDateBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.ModelType == typeof(DateOnly) || context.Metadata.ModelType == typeof(DateOnly?) ? new VietnameseDateBinder() : null;
}

/// <summary>
/// Every &lt;input asp-for&gt; bound to a DateOnly becomes a text box showing dd/mm/yyyy: the browser's own date box
/// follows the browser's language (mm/dd/yyyy in an English browser). wwwroot/js/site.js tidies what is typed.
/// Runs after the built-in InputTagHelper (Order -1000), which has already written the value or the text attempted.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
public sealed class DateInputTagHelper : TagHelper
{
    [HtmlAttributeName("asp-for")] public ModelExpression For { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var type = For.ModelExplorer.ModelType;
        if (type != typeof(DateOnly) && type != typeof(DateOnly?)) return;
        DateField.Apply(output.Attributes, output.Attributes["value"]?.Value?.ToString());
    }
}

/// <summary>A date box written by hand (grid rows, query forms): &lt;input name="…" date-value="@d" date-text="@typed" /&gt;.</summary>
[HtmlTargetElement("input", Attributes = "date-value")]
public sealed class DateValueTagHelper : TagHelper
{
    [HtmlAttributeName("date-value")] public DateOnly? Value { get; set; }

    /// <summary>Text the user typed that did not read as a date: shown again as typed.</summary>
    [HtmlAttributeName("date-text")] public string? Text { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        DateField.Apply(output.Attributes, null);
        // Razor writes a null attribute expression as "": an empty text means "nothing attempted", never "erase the date".
        output.Attributes.SetAttribute("value", string.IsNullOrEmpty(Text) ? VietnameseDates.Show(Value) : Text);
    }
}

/// <summary>The attributes of a date box, for tag helpers and for the grid's hand-written inputs.</summary>
public static class DateField
{
    public static void Apply(TagHelperAttributeList attributes, string? value)
    {
        attributes.SetAttribute("type", "text");
        attributes.SetAttribute("inputmode", "numeric");
        attributes.SetAttribute("placeholder", VietnameseDates.Placeholder);
        attributes.SetAttribute("autocomplete", "off");
        attributes.SetAttribute("data-date", "");
        attributes.RemoveAll("min");
        attributes.RemoveAll("max");
        // The model's value arrives as yyyy-MM-dd; text the user typed (redisplayed after an error) is kept as typed.
        if (value is { Length: > 0 } && DateOnly.TryParseExact(value, "yyyy-MM-dd", out var d)) attributes.SetAttribute("value", VietnameseDates.Show(d));
    }
}

public static class AttemptedDates
{
    /// <summary>The text posted for <paramref name="key"/> when it did not read as a date (to show it again), else null.</summary>
    public static string? AttemptedDate(this ModelStateDictionary state, string key) =>
        state.TryGetValue(key, out var e) && e.ValidationState == ModelValidationState.Invalid ? e.AttemptedValue : null;
}
