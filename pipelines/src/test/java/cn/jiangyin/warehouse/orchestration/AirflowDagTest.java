package cn.jiangyin.warehouse.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AirflowDagTest {
  private final Flow flow = Flow.load();

  @Test
  void sameFlowGivesTheSameFileByteForByte() {
    assertThat(AirflowDag.render(Flow.load())).isEqualTo(AirflowDag.render(flow));
  }

  @Test
  void oneDagPerScheduleWithTheSchedulesCronAndSlaAsRunTimeout() {
    String dag = AirflowDag.render(flow);

    assertThat(dag)
        .contains("from airflow.sdk import DAG")
        .contains(
            "from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator")
        .contains("from airflow.providers.standard.operators.bash import BashOperator")
        .contains("    dag_id=\"jiangyin_hourly\",\n    description=")
        .contains("    schedule=\"15 * * * *\",")
        .contains("    dagrun_timeout=timedelta(seconds=2700),") // hourly sla 45m
        .contains("    schedule=\"30 2 * * *\",")
        .contains("    dagrun_timeout=timedelta(seconds=14400),") // daily sla 4h
        .doesNotContain("sla=") // removed in Airflow 3
        .doesNotContain("schedule_interval"); // removed in Airflow 3
  }

  @Test
  void sparkStepsAreSparkSubmitsOfTheJobJarAndCliStepsCallTheLauncher() {
    String dag = AirflowDag.render(flow);

    assertThat(dag)
        .contains(
            """
                credit = SparkSubmitOperator(
                    task_id="credit",
                    conn_id="spark_default",
                    application=JOB_JAR,
                    java_class=MAIN_CLASS,
                    name="jiangyin-credit",
                    application_args=["--config", CONFIG, "build", "--stages", "credit", "--as-of", "{{ ds }}"],
                    pool="jiangyin_lake",
                    doc_md="信用评价与发布 — scores, lists, verdicts, flags and their export",
                    retries=2,
                    retry_delay=timedelta(seconds=600),
                    execution_timeout=timedelta(seconds=3600),
                )
            """)
        .contains(
            "bash_command=\"/opt/jiangyin/warehouse/warehouse --config /etc/jiangyin/warehouse.yaml"
                + " trino views\",")
        .contains("MAIN_CLASS = \"cn.jiangyin.warehouse.cli.WarehouseCommand\"");
  }

  @Test
  void everyDependencyIsAnEdgeOfEachDagItRunsIn() {
    String dag = AirflowDag.render(flow);
    String hourly = dag.substring(dag.indexOf("dag_id=\"jiangyin_hourly\""));
    String daily =
        dag.substring(
            dag.indexOf("dag_id=\"jiangyin_daily\""), dag.indexOf("dag_id=\"jiangyin_hourly\""));

    assertThat(hourly)
        .contains("    capture_health >> ods\n")
        .contains("    credit_facts >> quality\n")
        .doesNotContain("quality >> credit");
    for (Flow.Step step : flow.steps("daily")) {
      for (String dependency : step.dependsOn()) {
        assertThat(daily).contains("    " + dependency + " >> " + step.id() + "\n");
      }
    }
  }

  @Test
  void stringsAreQuotedForPythonAndBash() {
    assertThat(AirflowDag.python("a \"b\" \\ c\n")).isEqualTo("\"a \\\"b\\\" \\\\ c\\n\"");
    assertThat(AirflowDag.shell("/etc/warehouse.yaml")).isEqualTo("/etc/warehouse.yaml");
    assertThat(AirflowDag.shell("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    assertThat(AirflowDag.shell("{{ ds }}")).isEqualTo("'{{ ds }}'");
  }
}
