//! `capsim catalog`: the built-in instance types as a table, Markdown or JSON.

use crate::cli::Format;
use crate::spec::catalog::{Arch, InstanceType};
use comfy_table::{
    CellAlignment, Table,
    presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED},
};

const GIB: f64 = (1u64 << 30) as f64;

/// The types as text in `format`.
pub fn render(types: &[&InstanceType], format: Format) -> String {
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = types
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "name": t.name,
                        "arch": arch(t.arch),
                        "vcpus": t.vcpus,
                        "memory_gib": t.memory_bytes as f64 / GIB,
                        "on_demand_usd_per_hour": t.on_demand_usd_per_hour,
                        "max_pods": t.max_pods,
                    })
                })
                .collect();
            let mut text = serde_json::to_string_pretty(&rows).expect("plain values serialize");
            text.push('\n');
            text
        }
        Format::Table | Format::Markdown => {
            let mut table = Table::new();
            table.load_style(if format == Format::Markdown {
                ASCII_MARKDOWN
            } else {
                UTF8_FULL_CONDENSED
            });
            table.set_header(vec![
                "type",
                "arch",
                "vCPU",
                "memory GiB",
                "on-demand $/h",
                "max pods",
            ]);
            for t in types {
                table.add_row(vec![
                    t.name.to_string(),
                    arch(t.arch).to_string(),
                    t.vcpus.to_string(),
                    format!("{}", t.memory_bytes as f64 / GIB),
                    format!("{:.4}", t.on_demand_usd_per_hour),
                    t.max_pods.to_string(),
                ]);
            }
            for i in 2..6 {
                if let Some(c) = table.column_mut(i) {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
            format!(
                "{table}\nus-east-1 Linux on-demand prices; max pods per the EKS VPC CNI formula (see docs/asg.md)\n"
            )
        }
    }
}

fn arch(a: Arch) -> &'static str {
    match a {
        Arch::X86_64 => "x86_64",
        Arch::Arm64 => "arm64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::catalog::lookup;

    #[test]
    fn a_row_per_type_with_its_figures() {
        let m5 = lookup("m5.xlarge").unwrap();
        let text = render(&[m5], Format::Markdown);
        let row = text.lines().nth(2).unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells[1..7],
            ["m5.xlarge", "x86_64", "4", "16", "0.1920", "58"]
        );
        let json: serde_json::Value = serde_json::from_str(&render(&[m5], Format::Json)).unwrap();
        assert_eq!(json[0]["vcpus"], 4);
        assert_eq!(json[0]["on_demand_usd_per_hour"], 0.192);
    }
}
