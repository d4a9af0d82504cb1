//! `sgdbounds table`'s engine on a 10×10×10×20 slice of the benchmark grid (20,000 rows; the
//! columns of the table issue's workload, 20 digits), with and without the double-double road.
//! Run with `cargo bench --bench table`; the full workload against python-flint and mpmath is
//! in BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sgdbounds::Model;
use sgdbounds::table::{Grid, Plan, Rows, columns, parse_axis};

fn table(c: &mut Criterion) {
    let model = Model::builtin("lemma5").unwrap();
    let axes = [
        ("eta", "1e-4..1e-1:log:10"),
        ("L", "1..100:log:10"),
        ("c", "0.01..10:log:10"),
        ("r", "0.1..10:log:20"),
        ("d0", "1"),
        ("t2", "1e6"),
    ];
    let grid = Grid {
        axes: axes
            .iter()
            .map(|(n, s)| parse_axis(n, s).unwrap())
            .collect(),
    };
    let rows = Rows::Grid(grid);
    let names: Vec<String> = "eta,L,c,r,lambda,b,T1,bound_T1,delta2,lemma5"
        .split(',')
        .map(String::from)
        .collect();
    let mut group = c.benchmark_group("table");
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows.len() as u64));
    for fast in [true, false] {
        let mut plan = Plan::new(&model, columns(&model, &names).unwrap(), 20, 256);
        plan.fast_road = fast;
        let name = if fast {
            "double_double_road"
        } else {
            "mpfr_road"
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut cells = 0usize;
                plan.compute_with(&rows, 0, rows.len(), &mut |row, _| cells += row.len());
                cells
            })
        });
    }
    group.finish();
}

criterion_group!(benches, table);
criterion_main!(benches);
