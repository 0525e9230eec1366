# SIOPS Workbench — comandos principais (veja README.md)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SIOPS  := $(VENV)/bin/siops
PYTEST_ARGS ?=

.PHONY: ambiente exemplo test benchmark limpar

$(VENV)/.instalado: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

ambiente: $(VENV)/.instalado ## cria o ambiente virtual e instala tudo

exemplo: ambiente ## gera o município de exemplo, calcula e grava os resultados
	$(SIOPS) exemplo --saida dados_exemplo/gerado
	$(SIOPS) equivalencias confirmar-sugestoes --dados dados_exemplo/gerado/layout_proprio --quem "demonstração automática"
	$(SIOPS) calcular --dados dados_exemplo/gerado/layout_proprio --saida relatorios/gerados/exemplo
	$(SIOPS) relatorios --dados dados_exemplo/gerado/layout_proprio --bimestres 6 --entidades consolidado --saida relatorios/gerados
	$(SIOPS) bimestre --dados dados_exemplo/gerado/layout_proprio --bimestre 6 --saida relatorios/gerados/envio_b6

test: ambiente ## roda todos os testes (pytest sai com 5 quando não há testes: tratado como falha)
	@$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "Nenhum teste foi coletado."; fi; exit $$rc

benchmark: ambiente ## mede leitura, cálculo, equivalências, relatórios e importação (não faz parte dos testes)
	$(PY) benchmarks/bench_nucleo.py
	$(PY) benchmarks/bench_equivalencias.py
	$(PY) benchmarks/bench_relatorios.py
	$(PY) benchmarks/bench_importacao.py

limpar:
	rm -rf dados_exemplo/gerado relatorios/gerados benchmarks/dados .pytest_cache
